// Chart colours come from the editor's theme variables. VS Code changes them in place and
// flips the body class (vscode-light / vscode-dark / vscode-high-contrast[-light]) when
// the theme changes, so we re-read whenever either changes.

export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  threshold: string;
  thresholdOk: string;
  series: string[];
  highContrast: boolean;
}

function read(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function getThemeColors(): ThemeColors {
  const style = getComputedStyle(document.body);
  const highContrast =
    document.body.classList.contains('vscode-high-contrast') ||
    document.body.classList.contains('vscode-high-contrast-light');
  const foreground = read(style, '--vscode-foreground', '#cccccc');
  return {
    foreground,
    muted: read(style, '--vscode-descriptionForeground', foreground),
    grid: highContrast
      ? read(style, '--vscode-contrastBorder', foreground)
      : read(style, '--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
    background: read(style, '--vscode-editor-background', '#1e1e1e'),
    threshold: read(style, '--vscode-charts-red', read(style, '--vscode-errorForeground', '#f14c4c')),
    thresholdOk: read(style, '--vscode-charts-yellow', '#cca700'),
    series: [
      '--vscode-charts-blue',
      '--vscode-charts-green',
      '--vscode-charts-orange',
      '--vscode-charts-purple',
      '--vscode-charts-yellow',
      '--vscode-charts-foreground',
    ].map((name, i) => read(style, name, ['#3794ff', '#89d185', '#d18616', '#b180d7', '#cca700', '#cccccc'][i]!)),
    highContrast,
  };
}

/**
 * Calls `onChange` once per frame after the theme changes: the body class flips between
 * kinds, and the variables on <html> change between two themes of the same kind.
 */
export function onThemeChange(onChange: () => void): () => void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
