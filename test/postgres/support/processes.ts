import { spawn } from 'node:child_process';

/** How an instance process ended, and what it printed. */
export interface Finished {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
}

/**
 * Runs `node --import tsx script …args` to its end: its stdout, or a rejection with its stderr
 * when it fails (a process killed with SIGKILL on purpose counts as ended).
 */
export const runProcess = (script: string, args: readonly string[]): Promise<Finished> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`instance exited with ${String(code)}: ${stderr}`));
      else resolve({ code, signal, stdout });
    });
  });
