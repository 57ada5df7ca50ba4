// Encode JSON-lines id lists with npm gpt-3-encoder's own JavaScript encoder: an oracle
// independent of the Rust/Python `tokenizers` library. Usage:
//   node gpt2_oracle.js PACKAGE_DIR < texts.jsonl > ids.jsonl   (one JSON string per input line)
const path = require('path');
const readline = require('readline');
const { encode } = require(path.resolve(process.argv[2]));
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => { if (line) process.stdout.write(JSON.stringify(encode(JSON.parse(line))) + '\n'); });
