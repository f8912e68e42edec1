/**
 * @file Is there a hardware WebGPU adapter? Asked in a short-lived child process: Dawn and the
 * GPU drivers print their own diagnostics straight to the process's stderr (Vulkan warnings,
 * Mesa's XDG_RUNTIME_DIR complaint), which must not reach the terminal of someone who only asked
 * for `--backend auto`; and a driver that crashes while probing takes down the child, not the
 * studio. The answer is cached for the life of the process.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { isSoftwareAdapter } from './webgpu';

export interface AdapterProbe {
  /** A real (not software, not fallback) adapter exists. */
  hardware: boolean;
  /** Why not, or what was found, in words. */
  reason: string;
}

/** The probe, as a script for `node -e`: prints one JSON line `{ adapters: [{ backend, description, fallback }] }`. */
function probeScript(webgpuPath: string): string {
  return `
process.env.EGL_PLATFORM ??= 'surfaceless';
const { create, globals } = require(${JSON.stringify(webgpuPath)});
Object.assign(globalThis, globals);
(async () => {
  const adapters = [];
  for (const [backend, flags, featureLevel] of [['default', [], 'core'], ['opengles', ['backend=opengles'], 'compatibility']]) {
    try {
      const gpu = create(flags);
      const a = await gpu.requestAdapter({ featureLevel, powerPreference: 'high-performance' });
      if (a) adapters.push({ backend, description: [a.info.vendor, a.info.architecture, a.info.device, a.info.description].filter(Boolean).join(' '), fallback: a.info.isFallbackAdapter === true });
    } catch {}
  }
  process.stdout.write(JSON.stringify({ adapters }) + '\\n');
  process.exit(0);
})();`;
}

let cached: Promise<AdapterProbe> | undefined;

export function probeHardwareAdapter(): Promise<AdapterProbe> {
  cached ??= new Promise<AdapterProbe>((resolve) => {
    let webgpuPath: string;
    try {
      webgpuPath = createRequire(typeof __filename === 'string' ? __filename : import.meta.url).resolve('webgpu');
    } catch {
      resolve({ hardware: false, reason: "the 'webgpu' package (Dawn) is not installed" });
      return;
    }
    execFile(process.execPath, ['-e', probeScript(webgpuPath)], { timeout: 30_000, env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' } }, (error, stdout) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) {
        resolve({ hardware: false, reason: `probing for a WebGPU adapter failed (${error ? error.message.split('\n')[0] : 'no answer'})` });
        return;
      }
      const { adapters } = JSON.parse(line) as { adapters: { backend: string; description: string; fallback: boolean }[] };
      const hardware = adapters.find((a) => !isSoftwareAdapter(a.description, a.fallback));
      if (hardware) resolve({ hardware: true, reason: `a hardware WebGPU adapter is available (${hardware.description})` });
      else if (adapters.length > 0) resolve({ hardware: false, reason: `no hardware WebGPU adapter, only a software one (${adapters[0].description})` });
      else resolve({ hardware: false, reason: 'no WebGPU adapter' });
    });
  });
  return cached;
}
