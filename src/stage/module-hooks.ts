/**
 * Node module hooks for local stage modules (`uses: ./stages-local/x.js`), registered on first use:
 * `import … from 'ftpipe'` resolves to the running ftpipe, installed in the workspace or not (so
 * defineStage and FtpipeError are the engine's own), and each import is reported, so the module's own
 * local files can be hashed into its stage key.
 */
import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** Runs on Node's hooks thread; it only sees `data`, so it is self-contained. */
const HOOKS = `
let port, ftpipe, skip;
export function initialize(data) { port = data.port; ftpipe = data.ftpipe; skip = data.skip; }
export async function resolve(specifier, context, next) {
  if (specifier === 'ftpipe') return { url: ftpipe, shortCircuit: true };
  const resolved = await next(specifier, context);
  const { url } = resolved;
  if (url.startsWith('file:') && context.parentURL?.startsWith('file:') && !url.includes('/node_modules/') && !skip.some((prefix) => url.startsWith(prefix))) {
    port.postMessage([context.parentURL, url]);
  }
  return resolved;
}
`;

/** Which file imported which (file: URLs), as the hooks saw them. */
export class ImportGraph {
  private readonly edges = new Map<string, Set<string>>();

  constructor(private readonly port: MessagePort) {}

  /** `url` and every file reachable from it through the imports seen so far. */
  reachable(url: string): string[] {
    this.drain();
    const seen = [url];
    for (let i = 0; i < seen.length; i++) for (const next of this.edges.get(seen[i]) ?? []) if (!seen.includes(next)) seen.push(next);
    return seen;
  }

  /** Messages are posted before the hook returns its answer, so after an import they are all queued. */
  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const [parent, child] = m.message as [string, string];
      let children = this.edges.get(parent);
      if (!children) this.edges.set(parent, (children = new Set()));
      children.add(child);
    }
  }
}

let graph: ImportGraph | undefined;

/** Registers the hooks once per process; `ftpipe` is the URL `import 'ftpipe'` gets; imports under `skip` (ftpipe's own code) are not reported. */
export function stageModuleHooks(options: { ftpipe: string; skip: string[] }): ImportGraph {
  if (!graph) {
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2, ftpipe: options.ftpipe, skip: options.skip }, transferList: [port2] });
    graph = new ImportGraph(port1);
  }
  return graph;
}
