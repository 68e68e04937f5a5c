// System parts a test needs (Chromium, LibreOffice, PostgreSQL): found, or the test skips with one line naming the
// Debian package — except under REQUIRE_SYSTEM_PARTS=1 (set by .ci/run after installing them), where absence fails.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

export interface SystemPart {
  /** what the tests call it */
  readonly name: string;
  /** the Debian package(s) that provide it */
  readonly debianPackage: string;
  /** the executable, when found */
  readonly path: string | null;
}

function firstExisting(paths: readonly string[]): string | null {
  return paths.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM: SystemPart = { name: 'Chromium', debianPackage: 'chromium', path: firstExisting([process.env.CHROMIUM_PATH ?? '', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)) };
export const LIBREOFFICE: SystemPart = {
  name: 'LibreOffice',
  debianPackage: 'libreoffice-calc-nogui libreoffice-writer-nogui fonts-noto-cjk',
  path: firstExisting([process.env.SOFFICE_PATH ?? '', '/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice'].filter(Boolean)),
};

/** PostgreSQL's server programs (initdb, pg_ctl, postgres): the newest /usr/lib/postgresql/<version>/bin/pg_ctl found. */
export const POSTGRESQL: SystemPart = {
  name: 'PostgreSQL',
  debianPackage: 'postgresql',
  path: firstExisting(
    (() => {
      try {
        return readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin/pg_ctl`);
      } catch {
        return [];
      }
    })(),
  ),
};

/**
 * Whether the part is there. When it is not: under REQUIRE_SYSTEM_PARTS=1 this throws (the suite fails); otherwise it
 * prints one line naming the package and returns false, and the caller skips (`describe.skipIf(!available(X))`).
 */
export function available(part: SystemPart): boolean {
  if (part.path) return true;
  const line = `${part.name} 未安装（Debian 软件包：${part.debianPackage}），相关测试跳过`;
  if (process.env.REQUIRE_SYSTEM_PARTS === '1') throw new Error(`REQUIRE_SYSTEM_PARTS=1：${line.replace('，相关测试跳过', '')}`);
  console.warn(line);
  return false;
}

/**
 * Runs `soffice --headless --convert-to <filter> --outdir <outDir> <inputs…>` with a private profile under `workDir`,
 * in its own process group, killed with its children on timeout and when done (it can leave helpers behind).
 */
export function convertWithLibreOffice(workDir: string, filter: string, outDir: string, inputs: readonly string[], timeoutMs: number): Promise<void> {
  const args = [`-env:UserInstallation=file://${workDir}/profile`, '--headless', '--norestore', '--nologo', '--convert-to', filter, '--outdir', outDir, ...inputs];
  return new Promise((resolve, reject) => {
    const child = spawn(LIBREOFFICE.path!, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`LibreOffice did not finish in ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      if (code === 0) resolve();
      else reject(new Error(`LibreOffice exited ${code}: ${output}`));
    });
  });
}
