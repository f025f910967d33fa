/** Whether `python3` runs here and can import these modules (tests that need Python skip otherwise). */
import { execFileSync } from 'node:child_process';

export function pythonCanImport(...modules: string[]): boolean {
  try {
    execFileSync('python3', ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
