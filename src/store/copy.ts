/**
 * Copying a whole store into another, empty one (`npm run migrate-store`: a JSON data
 * directory into PostgreSQL and back), checked by comparing both afterwards.
 */
import { isDeepStrictEqual } from "node:util";
import type { Event, EventInput } from "../core/schemas.ts";
import { StoreError } from "./memory.ts";
import { type Store, type StoreData, emptyStoreData } from "./types.ts";

/** What a copy moved: counts of the main collections and of the audit events. */
export type CopyReport = { tasks: number; assignments: number; bindings: number; sendLog: number; events: number };

/** Every audit event of `store`, oldest first. */
export async function allEvents(store: Store): Promise<Event[]> {
  return (await store.events()).reverse();
}

/** Is `store` empty (nothing but a fresh state, no events)? */
export async function isEmptyStore(store: Store): Promise<boolean> {
  const { version: _v, ...data } = store.read();
  const { version: _e, ...empty } = emptyStoreData();
  return isDeepStrictEqual(data, empty) && (await store.events({ limit: 1 })).length === 0;
}

/**
 * Where two stores differ (`null`: same data, same events, same send-log archive). Compares
 * the whole state field by field, the audit trail event by event, and the archives.
 */
export async function compareStores(a: Store, b: Store): Promise<string | null> {
  const da = a.read() as unknown as Record<string, unknown>;
  const db = b.read() as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(da), ...Object.keys(db)])) {
    if (!isDeepStrictEqual(da[key], db[key])) return `trường ${key} khác nhau / field ${key} differs`;
  }
  const [ea, eb] = [await allEvents(a), await allEvents(b)];
  if (ea.length !== eb.length) return `số sự kiện khác nhau (${ea.length} và ${eb.length}) / event counts differ`;
  for (let i = 0; i < ea.length; i++) {
    if (!isDeepStrictEqual(ea[i], eb[i])) return `sự kiện số ${ea[i].seq} khác nhau / event ${ea[i].seq} differs`;
  }
  if (!isDeepStrictEqual(await a.sendLogArchive.entries(), await b.sendLogArchive.entries())) {
    return "kho lưu nhật ký gửi khác nhau / send-log archives differ";
  }
  return null;
}

/**
 * Copies the state and the audit trail of `from` into `to`, in ONE update of `to` (all or
 * nothing), keeping every event's `seq`; the send-log archive before it. Refuses (StoreError
 * INVALID, nothing written) when `to` is not empty, or when `from`'s trail is not exactly events
 * 1…eventSeq (a trail with a gap cannot keep its numbers through `update`). Does not close
 * either store.
 */
export async function copyStore(from: Store, to: Store): Promise<CopyReport> {
  if (!(await isEmptyStore(to))) {
    throw new StoreError("INVALID", "Nơi nhận đã có dữ liệu; chỉ chép vào một kho trống (thư mục mới hoặc cơ sở dữ liệu mới).");
  }
  const data = from.read();
  const events = await allEvents(from);
  const gap = events.findIndex((e, i) => e.seq !== i + 1);
  if (gap >= 0 || events.length !== data.eventSeq) {
    throw new StoreError(
      "INVALID",
      `Nhật ký sự kiện của nguồn không liền mạch (có ${events.length} sự kiện, số cuối ghi ${data.eventSeq}${gap >= 0 ? `, chỗ hỏng ở sự kiện ${events[gap].seq}` : ""}); không chép. / ` +
        `The source's audit trail is not events 1…${data.eventSeq}.`,
    );
  }
  // The archive first: were the state's update to fail, a new attempt finds `to` empty again (appending is idempotent).
  const archived = await from.sendLogArchive.entries();
  await to.sendLogArchive.append(archived);
  await to.update((draft) => {
    const target = draft as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(data) as [keyof StoreData, unknown][]) {
      if (key === "version" || key === "eventSeq") continue; // set by the store itself
      target[key] = value;
    }
    const inputs: EventInput[] = events.map(({ seq: _seq, ...rest }) => rest);
    return { result: null, events: inputs };
  });
  return {
    tasks: data.tasks.length,
    assignments: data.assignments.length,
    bindings: data.bindings.length,
    sendLog: data.sendLog.length + archived.length,
    events: events.length,
  };
}
