// Turbopack loader for chain/: the ledger library imports its TypeScript siblings as "./x.js" (the
// Node ESM convention, which tsx and tsc understand). Turbopack does not map ".js" to ".ts", so this
// rewrites relative "./x.js" specifiers to "./x" before bundling. Nothing else in the file changes.
module.exports = function stripJsSpecifiers(source) {
  return source.replace(/((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]+?)\.js\2/g, "$1$2$3$2");
};
