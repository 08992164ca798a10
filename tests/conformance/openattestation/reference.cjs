// The OpenAttestation reference implementation (@govtechsg/open-attestation), driven by
// OriginLink's conformance tests: reads one JSON document on standard input, writes one JSON
// answer on standard output. Usage: node reference.cjs wrap | verify | data
"use strict";
const oa = require("@govtechsg/open-attestation");

const input = require("fs").readFileSync(0, "utf8");
const document = JSON.parse(input);
const command = process.argv[2];
let answer;
if (command === "wrap") {
  answer = oa.wrapDocument(document);
} else if (command === "verify") {
  answer = { valid: oa.verifySignature(document) };
} else if (command === "data") {
  answer = oa.getData(document);
} else {
  throw new Error(`unknown command ${command}`);
}
process.stdout.write(JSON.stringify(answer));
