/**
 * The identity registry as its owner (public security) keeps it on this node: enrolment (sealed
 * values and blind indexes under the registry's key), the number → record lookup through the index,
 * and card status changes. Clear names and numbers exist only in memory here, never in a row.
 */
import { REGISTRY, type CardStatus } from "../../chain/contracts/identity";
import type { DatasetEntry } from "../../chain/contracts/sharing";
import type { Committed } from "../../chain/node";
import { blindIndex, sealField } from "../../chain/sealing";
import { normalizeIdNumber, normalizeName } from "../../lib/id-number";
import { UnavailableError } from "../errors";
import type { Actor, PortalLedger } from "../ledger/portal-ledger";
import { datasetKeys, openDataKey, submitAsSystem } from "../sharing/keys";
import { loadDataset } from "../sharing/policy";
import { currentSealingKey } from "../sharing/service";

export interface Person {
  key: string;
  attrs: Record<string, string | number>;
  sealed: Record<string, string>;
}

export class RegistryUnavailableError extends UnavailableError {
  constructor(message: string) {
    super(`身份信息库不可用 identity registry unavailable: ${message}`);
  }
}

/**
 * The registry's catalogue entry (owner, status), or null when it is not on this ledger. Every part
 * of the identity service asks here who owns the registry and with which keys. (The catalogue's own
 * sync, a start-up step, enrols people through here.)
 */
export function registryEntry(ledger: PortalLedger): Promise<DatasetEntry | null> {
  return loadDataset(ledger, REGISTRY);
}

/** @throws RegistryUnavailableError unless the registry is registered and active. */
async function activeRegistry(ledger: PortalLedger): Promise<DatasetEntry> {
  const entry = await registryEntry(ledger);
  if (!entry || entry.status !== "active") throw new RegistryUnavailableError("not registered on this ledger");
  return entry;
}

/**
 * A version of the registry's data key (default: the current one), opened through its owner's wrap,
 * or null when this node cannot open it (it holds no key of the owner, or there is no such version).
 */
export async function registryDataKey(ledger: PortalLedger, version?: number): Promise<{ key: string; version: number; owner: string } | null> {
  const [entry, keys] = await Promise.all([registryEntry(ledger), datasetKeys(ledger, REGISTRY)]);
  if (!entry || !keys) return null;
  const v = version ?? keys.current;
  const key = openDataKey(ledger, keys, v, entry.owner);
  return key ? { key, version: v, owner: entry.owner } : null;
}

const indexKeys = new WeakMap<PortalLedger, string>();

/**
 * The blind-index key (the registry's version-1 data key) opened through the owner's wrap: the
 * lookup is done by the owner's node on the verifier's behalf, so the verifier never holds it.
 */
export async function indexKey(ledger: PortalLedger): Promise<string> {
  // Version 1 of a dataset key never changes once registered (rotation adds versions), so it is opened once.
  const known = indexKeys.get(ledger);
  if (known) return known;
  const entry = await activeRegistry(ledger);
  const first = await registryDataKey(ledger, 1);
  if (!first) throw new RegistryUnavailableError(`this node holds no key of ${entry.owner}`);
  indexKeys.set(ledger, first.key);
  return first.key;
}

/** Blind indexes (salted hashes) of an ID number and a name, as the registry stores them. */
export function indexesOf(first: string, idNumber: string, name: string): { idNumber: string; name: string } {
  return { idNumber: blindIndex(first, REGISTRY, "idNumber", normalizeIdNumber(idNumber)), name: blindIndex(first, REGISTRY, "name", normalizeName(name)) };
}

/** The record key an ID number's blind index points to, or null when the number is not enrolled. */
export async function recordKeyOf(ledger: PortalLedger, idIndex: string): Promise<string | null> {
  return (await ledger.node.store.record<{ key: string }>("ididx", idIndex))?.value.key ?? null;
}

/** `identity.enrol` payloads of people: values sealed under the registry's current key, number and name indexed. */
export async function personPayloads(ledger: PortalLedger, people: Person[]): Promise<Record<string, unknown>[]> {
  const entry = await activeRegistry(ledger);
  const current = await datasetKeys(ledger, REGISTRY);
  if (!current) throw new RegistryUnavailableError("no data key");
  const { keys, dataKey } = await currentSealingKey(ledger, entry, current);
  const first = await indexKey(ledger);
  return people.map((p) => {
    // The name is sealed as written; its index is of the normalised form (indexesOf).
    const clear: Record<string, string> = { ...p.sealed, idNumber: normalizeIdNumber(p.sealed.idNumber) };
    const sealed = Object.fromEntries(Object.entries(clear).map(([field, v]) => [field, sealField(dataKey, keys.current, { dataset: REGISTRY, record: p.key, field }, v)]));
    return { key: p.key, attrs: p.attrs, sealed, index: indexesOf(first, clear.idNumber, clear.name) };
  });
}

/** Enrols people: each an `identity.enrol` transaction (as `actor`, or the system when null). */
export async function enrolPeople(ledger: PortalLedger, actor: Actor | null, people: Person[], purpose: string): Promise<Committed[]> {
  const payloads = await personPayloads(ledger, people);
  return Promise.all(payloads.map((payload) => (actor ? ledger.submitAs(actor, "identity.enrol", payload, purpose) : submitAsSystem(ledger, "identity.enrol", payload, purpose))));
}

/** Records a card status change (reported lost or stolen, revoked, renewed) with its reason. */
export function setCardStatus(ledger: PortalLedger, actor: Actor, input: { record: string; status: CardStatus; note: string; cardExpires?: string }): Promise<Committed> {
  return ledger.submitAs(actor, "identity.status", input as unknown as Record<string, unknown>, `证件状态变更 card status change: ${input.note}`.slice(0, 500));
}
