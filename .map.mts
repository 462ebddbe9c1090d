import ts from 'typescript';
import { writeFileSync } from 'node:fs';
const file = process.argv[2]!;
const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();
const source = program.getSourceFile(file)!;
const map: Record<string, { file: string; type: boolean }> = {};
for (const s of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
  const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
  const decl = target.declarations?.[0];
  map[s.name] = { file: decl ? decl.getSourceFile().fileName.replace(/^.*\/src\//, 'src/') : '?', type: (target.flags & ts.SymbolFlags.Value) === 0 };
}
writeFileSync(process.argv[3]!, JSON.stringify(map, null, 1));
console.log(Object.keys(map).length);
