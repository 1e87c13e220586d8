// Every AWS SDK client comes from the one factory (src/core/awsClients.ts), and every SDK
// value (commands, credential providers, the shared-config reader) is reached through the
// lazily loaded module (src/core/awsSdk.ts), so the SDK is not loaded with the extension.
// Type-only imports are free: they are erased and load nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** The files that may import SDK values; only the first may construct clients. */
export const factoryFile = 'src/core/awsClients.ts';
export const lazyEntryFile = 'src/core/awsSdk.ts';

const sdkModule = /^@(aws-sdk|smithy)\//;
const clientConstruction = /\bnew\s+[A-Z]\w*Client\s*\(/;

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node))
    return (
      node.isTypeOnly ||
      (!!node.exportClause &&
        ts.isNamedExports(node.exportClause) &&
        node.exportClause.elements.every((e) => e.isTypeOnly))
    );
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    !!named &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

/** The SDK modules a file loads at run time: value imports, re-exports, require() and import(). */
export function getSdkValueImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (sdkModule.test(node.moduleSpecifier.text) && !isTypeOnly(node)) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg) && sdkModule.test(arg.text)) found.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every place under src/ that breaks the rule, as "file:line: what". */
export function findAwsImportHits(root: string): string[] {
  const hits: string[] = [];
  for (const path of listSources(join(root, 'src'))) {
    const file = relative(root, path).split('\\').join('/');
    const text = readFileSync(path, 'utf8');
    if (file !== factoryFile && file !== lazyEntryFile) {
      for (const name of getSdkValueImports(file, text)) hits.push(`${file}: imports a value from ${name}`);
    }
    if (file !== factoryFile) {
      text.split('\n').forEach((line, i) => {
        if (clientConstruction.test(line)) hits.push(`${file}:${i + 1}: constructs an SDK client`);
      });
    }
  }
  return hits;
}
