/** An error as a plain message (one definition for the panel, its picker and its documents). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
