// Memory figures that do not depend on when the collector last ran: every reading follows a full
// collection, so it counts what is still referenced, never garbage waiting to be collected.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let gcFunction: (() => void) | undefined;

/** A full collection: `global.gc` when node runs with --expose-gc, else the same function obtained at run time. */
export function collectGarbage(): void {
  if (!gcFunction) {
    gcFunction = (global as { gc?: () => void }).gc;
    if (!gcFunction) {
      v8.setFlagsFromString('--expose-gc');
      gcFunction = vm.runInNewContext('gc') as () => void;
    }
  }
  gcFunction();
}

/** Live heap bytes (after two collections, so objects freed by finalizers go too). */
export function liveHeap(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Live bytes of ArrayBuffers (Buffers), after a full collection. */
export function liveArrayBuffers(): number {
  collectGarbage();
  return process.memoryUsage().arrayBuffers;
}
