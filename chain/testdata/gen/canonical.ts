/**
 * canonical/: canonical JSON (chain/encoding.ts). Each case's expected text or error is written here
 * by hand; generation checks the encoder agrees. `input` is JSON text (so number spellings and key
 * order survive the file), with tagged objects (../tagged.ts) for values JSON cannot carry.
 */
import { canonicalize, parseCanonical } from "../../encoding.js";
import { revive } from "../tagged.js";
import { add, errorText, expectSame, type VectorSet } from "./common.js";

type Case = [name: string, desc: string, input: string, expected: { text: string } | { error: string }];

const ENCODE: Case[] = [
  ["keys-sorted", "object keys are sorted at every depth; arrays keep their order", '{"b":1,"a":2,"c":{"z":null,"y":[3,{"d":1,"c":2}]}}', { text: '{"a":2,"b":1,"c":{"y":[3,{"c":2,"d":1}],"z":null}}' }],
  ["already-canonical", "a value already in canonical form is written unchanged", '{"a":[1,"x",true,false,null],"b":{},"c":[]}', { text: '{"a":[1,"x",true,false,null],"b":{},"c":[]}' }],
  ["keys-utf16-order", "keys sort by UTF-16 code units, not code points: U+1F600 (a surrogate pair, d83d...) sorts before U+FF5E", '{"\\uff5e":1,"\\ud83d\\ude00":2,"\\u00e9":3,"a":4,"B":5,"":6}', { text: '{"":6,"B":5,"a":4,"é":3,"😀":2,"～":1}' }],
  ["keys-integer-like", "integer-like keys sort as strings (\"10\" before \"2\"), though JavaScript objects hold them in numeric order", '{"10":1,"2":2,"a":3,"1":4}', { text: '{"1":4,"10":1,"2":2,"a":3}' }],
  ["key-proto", 'an own "__proto__" key is an ordinary key', '{"a":2,"__proto__":1}', { text: '{"__proto__":1,"a":2}' }],
  ["strings-unicode", "non-ASCII is written as UTF-8, not escaped (U+2028 and DEL included); an escaped slash is a slash", '["\\u00e9","深圳","\\ud83d\\ude00","\\u2028","\\u007f","\\/"]', { text: '["é","深圳","😀","\u2028","\u007f","/"]' }],
  ["strings-escapes", "control characters use the short escapes where JSON has one, else \\u00XX in lowercase; quote and backslash are escaped", '["\\u0000","\\u001F","\\b\\f\\n\\r\\t","\\"\\\\"]', { text: '["\\u0000","\\u001f","\\b\\f\\n\\r\\t","\\"\\\\"]' }],
  ["strings-lone-surrogates", "a lone surrogate is escaped (lowercase hex), a paired one written as UTF-8", '["\\ud800","\\uDFFF","a\\ud83db","\\ud83d\\ude00"]', { text: '["\\ud800","\\udfff","a\\ud83db","😀"]' }],
  ["numbers", "numbers in ECMAScript's shortest form: -0 is 0, exponents from 1e21 and below 1e-6, integers past 2^53 rounded", "[0,-0,1.0,1E2,-1.5,0.1,1e21,1e20,1e-7,0.000001,123456789012345678901,9007199254740993,5e-324,1.7976931348623157e308,0.30000000000000004]", { text: "[0,0,1,100,-1.5,0.1,1e+21,100000000000000000000,1e-7,0.000001,123456789012345680000,9007199254740992,5e-324,1.7976931348623157e+308,0.30000000000000004]" }],
  ["whitespace", "whitespace between tokens is dropped", '{ "b" : [ 1 , 2 ] ,\n\t"a" : "x y" }', { text: '{"a":"x y","b":[1,2]}' }],
  ["scalar-top-level", "a top-level string is a value like any other", '"深圳 \\u00e9"', { text: '"深圳 é"' }],
  ["member-undefined", "a member holding undefined is the same record as one without it", '{"b":1,"a":{"$undefined":true},"c":{"d":{"$undefined":true}}}', { text: '{"b":1,"c":{}}' }],
  ["null-prototype", "an object without a prototype is a plain record", '{"$nullProto":{"b":1,"a":2}}', { text: '{"a":2,"b":1}' }],
  ["reject-infinity", "1e400 parses to Infinity, which JSON cannot carry: refused, with where", '{"a":[1,1e400]}', { error: "TypeError: canonical JSON: non-finite number at $.a[1]" }],
  ["reject-nan", "NaN is refused", '{"x":{"y":{"$number":"NaN"}}}', { error: "TypeError: canonical JSON: non-finite number at $.x.y" }],
  ["reject-negative-infinity", "-Infinity is refused", '[{"$number":"-Infinity"}]', { error: "TypeError: canonical JSON: non-finite number at $[0]" }],
  ["reject-undefined-in-array", "undefined in an array is refused (JSON.stringify would write null)", '[1,{"$undefined":true}]', { error: "TypeError: canonical JSON: unsupported undefined at $[1]" }],
  ["reject-undefined-top-level", "undefined alone is refused", '{"$undefined":true}', { error: "TypeError: canonical JSON: unsupported undefined at $" }],
  ["reject-bigint", "a bigint is refused (no exact JSON number for it)", '{"n":{"$bigint":"10"}}', { error: "TypeError: canonical JSON: unsupported bigint at $.n" }],
  ["reject-date", "a Date is refused (JSON.stringify would write its ISO string)", '{"d":{"$date":"2026-01-01T00:00:00.000Z"}}', { error: "TypeError: canonical JSON: unsupported object Date at $.d" }],
  ["reject-bytes", "a Uint8Array is refused", '{"$bytes":"00ff"}', { error: "TypeError: canonical JSON: unsupported object Uint8Array at $" }],
  ["reject-map", "a Map is refused", '{"m":[{"$map":[]}]}', { error: "TypeError: canonical JSON: unsupported object Map at $.m[0]" }],
  ["reject-function", "a function is refused", '{"f":{"$function":true}}', { error: "TypeError: canonical JSON: unsupported function at $.f" }],
  ["reject-symbol", "a symbol is refused", '{"s":{"$symbol":"x"}}', { error: "TypeError: canonical JSON: unsupported symbol at $.s" }],
];

type ParseCase = [name: string, desc: string, text: string, expected: { value: unknown } | { error: string }];

const PARSE: ParseCase[] = [
  ["parse-canonical", "canonical text parses", '{"a":[1,2],"b":"é"}', { value: { a: [1, 2], b: "é" } }],
  ["parse-integer-keys", "canonical text with integer-like keys parses, though JSON.parse reorders them", '{"1":4,"10":1,"2":2}', { value: { "1": 4, "10": 1, "2": 2 } }],
  ["parse-unsorted", "unsorted keys are not canonical", '{"b":1,"a":2}', { error: "TypeError: not canonical JSON" }],
  ["parse-whitespace", "whitespace is not canonical", '{"a": 1}', { error: "TypeError: not canonical JSON" }],
  ["parse-number-spelling", "1.0 is not the canonical spelling of 1", "[1.0]", { error: "TypeError: not canonical JSON" }],
  ["parse-negative-zero", "-0 is not canonical (it encodes as 0)", "[-0]", { error: "TypeError: not canonical JSON" }],
  ["parse-escaped-unicode", "an escaped non-ASCII character is not canonical", '["\\u00e9"]', { error: "TypeError: not canonical JSON" }],
  ["parse-duplicate-key", "a repeated key is not canonical", '{"a":1,"a":2}', { error: "TypeError: not canonical JSON" }],
];

export function canonicalVectors(set: VectorSet): void {
  for (const [name, desc, input, expected] of ENCODE) {
    let got: { text: string } | { error: string };
    try {
      got = { text: canonicalize(revive(JSON.parse(input))) };
    } catch (e) {
      got = { error: errorText(e) };
    }
    expectSame(`canonical/${name}`, got, expected);
    add(set, "canonical", name, { desc, op: "canonicalize", input, expected });
  }
  for (const [name, desc, text, expected] of PARSE) {
    let got: { value: unknown } | { error: string };
    try {
      got = { value: parseCanonical(text) };
    } catch (e) {
      got = { error: errorText(e) };
    }
    expectSame(`canonical/${name}`, got, expected);
    add(set, "canonical", name, { desc, op: "parseCanonical", text, expected });
  }
}
