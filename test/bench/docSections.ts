/**
 * docs/benchmarks.md is written by several suites, each owning one `## ` section: a suite replaces its
 * own section (or appends it) and leaves the others as they are.
 */
export function spliceSection(doc: string, heading: string, section: string): string {
  const start = doc.indexOf(heading);
  if (start < 0) return `${doc.trimEnd()}\n\n${section}`;
  const next = doc.indexOf('\n## ', start + heading.length);
  return `${doc.slice(0, start)}${section}${next < 0 ? '' : doc.slice(next + 1)}`;
}
