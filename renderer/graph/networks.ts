/**
 * @file Project-level edits of the networks a project holds (a GAN has a generator and a
 * discriminator): add, rename, delete. The training recipe's references stay valid.
 */
import type { Network, Project } from '../../core/project/schema';
import { freshId } from './ids';

export function addNetwork(project: Project, name: string): { project: Project; networkId: string } {
  const id = freshId(name || 'network', new Set(project.networks.map((n) => n.id)));
  const network: Network = { id, name: name.trim() || 'Network', nodes: [], edges: [], groups: [] };
  return { project: { ...project, networks: [...project.networks, network] }, networkId: id };
}

export function renameNetwork(project: Project, networkId: string, name: string): Project {
  if (!name.trim()) return project;
  return { ...project, networks: project.networks.map((n) => (n.id === networkId ? { ...n, name: name.trim() } : n)) };
}

/** Refuses (returns null) to delete the last network; recipe roles that named it move to the first one left. */
export function deleteNetwork(project: Project, networkId: string): Project | null {
  const networks = project.networks.filter((n) => n.id !== networkId);
  const first = networks[0];
  if (!first || networks.length === project.networks.length) return null;
  const roles = Object.fromEntries(Object.entries(project.training.networks).map(([role, id]) => [role, id === networkId ? first.id : id]));
  return { ...project, networks, training: { ...project.training, networks: roles } };
}

export function replaceNetworkIn(project: Project, network: Network): Project {
  return { ...project, networks: project.networks.map((n) => (n.id === network.id ? network : n)) };
}
