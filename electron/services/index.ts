/** @file The desktop services, hosted by Electron main, `brrr serve` and the `brrr` command line. */
export { createStudioServices, type Dialogs, type StudioServicesOptions } from './services';
export { dispatchRequest, isRequestName, toReplyError, type DispatchOptions } from './dispatch';
export { createProjectStore, slugify, type ProjectStore, type ProjectStoreOptions, type OpenedProject, type ProjectSummary } from './projectStore';
export { createRecentProjects, MAX_RECENT_PROJECTS, RECENT_PROJECTS_FILE_NAME, type RecentProjects } from './recentProjects';
export { atomicWrite, type AtomicFs, type AtomicWriteOptions } from './atomicWrite';
