/**
 * Chart colours from VS Code's theme variables, read when drawing (the canvas cannot use CSS variables), and
 * read again when the theme changes (VS Code switches the body's `vscode-light` / `vscode-dark` /
 * `vscode-high-contrast` class).
 */
const PALETTE = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
  '--vscode-terminal-ansiCyan',
  '--vscode-terminal-ansiMagenta',
  '--vscode-terminal-ansiBrightBlue',
  '--vscode-terminal-ansiBrightGreen',
  '--vscode-terminal-ansiBrightRed',
  '--vscode-terminal-ansiBrightYellow',
];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700', '#11a8cd', '#bc3fbc', '#3b8eea', '#23d18b', '#f14c4c', '#f5f543'];

function cssVar(name: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim();
}

export interface ChartTheme {
  readonly foreground: string;
  readonly grid: string;
  /** A border for bars in high contrast themes (empty otherwise). */
  readonly border: string;
  readonly selection: string;
  colorOf(index: number): string;
}

export function readTheme(): ChartTheme {
  const colors = PALETTE.map((v, i) => cssVar(v) || FALLBACK[i]!);
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground: cssVar('--vscode-foreground') || '#888',
    grid: cssVar('--vscode-editorWidget-border') || cssVar('--vscode-panel-border') || 'rgba(128,128,128,0.3)',
    border: highContrast ? cssVar('--vscode-contrastBorder') || cssVar('--vscode-foreground') : '',
    selection: cssVar('--vscode-editor-selectionBackground') || 'rgba(0,120,215,0.3)',
    colorOf: (i) => colors[i % colors.length]!,
  };
}

/** Calls `onChange` when VS Code switches the theme. */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
