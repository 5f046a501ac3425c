// Each installed AI SDK major validates chunks with its own `uiMessageChunkSchema` export
// (the schema its DefaultChatTransport applies to every SSE event), made as strict as possible.
import { readFileSync } from 'node:fs';
import * as ai5 from 'ai5';
import * as ai6 from 'ai6';
import * as ai7 from 'ai';

function versionOf(dir) {
  return JSON.parse(readFileSync(new URL(`../node_modules/${dir}/package.json`, import.meta.url), 'utf8')).version;
}

/** The AI SDK client versions under test, oldest first. */
export const SDKS = [
  { name: `ai@${versionOf('ai5')}`, sdk: ai5 },
  { name: `ai@${versionOf('ai6')}`, sdk: ai6 },
  { name: `ai@${versionOf('ai')}`, sdk: ai7 },
];

const schemaOf = (sdk) => sdk.uiMessageChunkSchema();

/** Whether a version's schema rejects unknown keys on known chunk types (strictObject). */
async function rejectsUnknownKeys(sdk) {
  const result = await schemaOf(sdk).validate({ type: 'start', compatProbeUnknownKey: 1 });
  return !result.success;
}

/** The newest installed version whose schema is strict: the reference for `unknown`-typed fields. */
let strictReference;
async function strictReferenceSchema() {
  if (strictReference === undefined) {
    strictReference = null;
    for (const { sdk } of [...SDKS].reverse()) {
      if (await rejectsUnknownKeys(sdk)) {
        strictReference = schemaOf(sdk);
        break;
      }
    }
  }
  return strictReference;
}

/** Keys a strict zod union rejects as unrecognized in the option(s) whose `type` matched. */
function unrecognizedKeysOfMatchingOption(error) {
  const matching = [];
  for (const issue of error?.issues ?? []) {
    if (issue.code !== 'invalid_union') continue;
    for (const optionIssues of issue.errors ?? []) {
      if (optionIssues.some((i) => i.path?.[0] === 'type')) continue; // other chunk type
      matching.push(optionIssues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : [])));
    }
  }
  return matching;
}

/**
 * Checks one key of a chunk against a loose (looseObject) schema: a declared key fails
 * validation when given a value no JSON field can hold. Keys that still pass are either
 * declared as z.unknown() (e.g. `input`, `output`) or not declared at all; the strict
 * reference schema decides those.
 */
async function isDeclaredKey(schema, chunk, key) {
  const probe = await schema.validate({ ...chunk, [key]: Symbol('undeclared-key-probe') });
  if (!probe.success) return true;
  const reference = await strictReferenceSchema();
  if (reference == null) return false;
  const result = await reference.validate(chunk);
  if (result.success) return true;
  const options = unrecognizedKeysOfMatchingOption(result.error);
  if (options.length === 0) return false; // chunk type unknown to the reference
  return options.some((keys) => !keys.includes(key));
}

function nullPaths(value, path = '$') {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullPaths(v, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
  return [];
}

/**
 * Validates one UI chunk for one SDK version. Returns a list of problems (empty = valid):
 * the version's own schema, unknown keys even where that schema is loose, no null values,
 * finishReason never "unknown", abort without reason, tool chunks without title.
 */
export async function chunkProblems({ name, sdk }, chunk) {
  const problems = [];
  const schema = schemaOf(sdk);
  const result = await schema.validate(chunk);
  if (!result.success) {
    problems.push(`${name} schema rejects ${JSON.stringify(chunk)}: ${String(result.error?.message ?? result.error).replace(/\s+/g, ' ').slice(0, 800)}`);
    return problems;
  }
  if (!(await rejectsUnknownKeys(sdk))) {
    for (const key of Object.keys(chunk)) {
      if (key !== 'type' && !(await isDeclaredKey(schema, chunk, key))) {
        problems.push(`${name}: key "${key}" is not declared for chunk type "${chunk.type}": ${JSON.stringify(chunk)}`);
      }
    }
  }
  for (const path of nullPaths(chunk)) problems.push(`null value at ${path} in ${JSON.stringify(chunk)}`);
  if (chunk.type === 'finish' && chunk.finishReason === 'unknown') problems.push(`finishReason "unknown": ${JSON.stringify(chunk)}`);
  if (chunk.type === 'abort' && 'reason' in chunk) problems.push(`abort carries a reason: ${JSON.stringify(chunk)}`);
  if (chunk.type.startsWith('tool-') && 'title' in chunk) problems.push(`tool chunk carries a title: ${JSON.stringify(chunk)}`);
  return problems;
}

/** All problems of a list of chunks for one version. */
export async function allChunkProblems(version, chunks) {
  const problems = [];
  for (const chunk of chunks) problems.push(...(await chunkProblems(version, chunk)));
  return problems;
}
