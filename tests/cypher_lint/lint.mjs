// Neo4j's own Cypher analyzer (parser + semantic analysis, as in Neo4j Browser and the VS Code
// extension) run on the statements kg sends.
//
// stdin:  {"labels": [...], "relationshipTypes": [...],
//          "statements": [{"name": "...", "cypher": "...", "parameters": ["rows", ...]}]}
// stdout: [{"name": "...", "diagnostics": [{"severity": "error"|"warning", "message": "...",
//           "line": 1, "column": 1, "text": "..."}]}]
//
// Functions and procedures are checked against the Neo4j 5 registry the package ships
// (testData.mockSchema), so a function Neo4j lacks is an error too.
import { createRequire } from 'node:module';

// The package's ESM build uses extension-less imports that Node cannot resolve: load the CJS one.
const require = createRequire(import.meta.url);
const { lintCypherQuery, testData } = require('@neo4j-cypher/language-support');

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function lint(statement, input) {
  const parameters = Object.fromEntries((statement.parameters ?? []).map((name) => [name, null]));
  const schema = {
    labels: input.labels,
    relationshipTypes: input.relationshipTypes,
    functions: testData.mockSchema.functions,
    procedures: testData.mockSchema.procedures,
    parameters,
  };
  return lintCypherQuery(statement.cypher, schema).map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    text: statement.cypher.slice(d.offsets.start, d.offsets.end),
  }));
}

const input = JSON.parse(await readStdin());
const report = input.statements.map((statement) => ({
  name: statement.name,
  diagnostics: lint(statement, input),
}));
process.stdout.write(JSON.stringify(report));
