/**
 * The interactive display: a listr2 task per stage showing its state and sub-progress. The engine runs
 * the stages; each task only mirrors the events of its stage.
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
import type { Reporter, RunEvent } from '../run/events.js';
import { formatDuration } from './format.js';
import { progressText, runEndLine } from './plain.js';

type Task = ListrTaskWrapper<unknown, any, any>;

export function listrReporter(): Reporter {
  const tasks = new Map<string, { task?: Task; done: (error?: Error) => void; pending: RunEvent[] }>();
  let list: Promise<unknown> | undefined;
  let end: Extract<RunEvent, { type: 'run:end' }> | undefined;
  const apply = (entry: { task?: Task }, event: RunEvent) => {
    const task = entry.task;
    if (!task) return;
    if (event.type === 'stage:start') task.title = `${task.title.split(' ')[0]} running`;
    if (event.type === 'stage:decided' && event.action === 'run') task.output = event.reasons.join('; ');
    if (event.type === 'stage:progress') task.output = progressText(event);
    if (event.type === 'stage:log' && event.level !== 'debug') task.output = event.message;
  };
  return {
    onEvent(event) {
      if (event.type === 'run:start') {
        const listr = new Listr(
          event.stages.map((id) => ({
            title: id,
            task: (_: unknown, task: Task) =>
              new Promise<void>((resolve, reject) => {
                const entry = tasks.get(id)!;
                entry.task = task;
                entry.done = (error) => (error ? reject(error) : resolve());
                for (const e of entry.pending.splice(0)) apply(entry, e);
              }),
            rendererOptions: { persistentOutput: false, outputBar: 1 },
          })),
          { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } },
        );
        for (const id of event.stages) tasks.set(id, { done: () => {}, pending: [] });
        list = listr.run().catch(() => undefined);
        return;
      }
      if (event.type === 'run:end') end = event;
      if (!('id' in event)) return;
      const entry = tasks.get(event.id);
      if (!entry) return;
      if (!entry.task) {
        entry.pending.push(event);
        if (event.type !== 'stage:end') return;
      }
      if (event.type === 'stage:end') {
        const finish = () => {
          const t = entry.task!;
          const time = event.durationMs > 50 ? ` ${formatDuration(event.durationMs)}` : '';
          t.title = `${event.id} ${event.state}${time}${event.summary ? ` · ${event.summary}` : ''}`;
          if (event.state === 'failed' || event.state === 'interrupted') entry.done(new Error(event.error?.message ?? event.state));
          else if (event.state === 'skipped') (t.skip(`${event.id} skipped${event.summary ? ` · ${event.summary}` : ''}`), entry.done());
          else entry.done();
        };
        if (entry.task) finish();
        else queueFinish(entry, finish);
        return;
      }
      apply(entry, event);
    },
    async close() {
      await list;
      if (end) process.stdout.write(`${runEndLine(end)}\n`);
    },
  };
}

/** listr2 starts tasks asynchronously: an end event may arrive before its task exists. */
function queueFinish(entry: { task?: Task }, finish: () => void): void {
  const poll = () => (entry.task ? finish() : setTimeout(poll, 5));
  poll();
}
