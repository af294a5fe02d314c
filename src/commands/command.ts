/** A command as an object, registered in one place (markdown extension `commandManager.ts`). */
export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}
