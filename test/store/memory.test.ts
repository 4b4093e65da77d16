import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, StaleState, StoreError, createMemoryStore, createStoreCore } from "../../src/store/memory.ts";
import { emptyStoreData } from "../../src/store/types.ts";
import { storeContract } from "./contract.ts";

storeContract("memory", async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

describe("createMemoryStore", () => {
  it("copies the initial data instead of aliasing it, and continues its eventSeq", async () => {
    const initial = emptyStoreData();
    initial.counters.n = 3;
    initial.eventSeq = 10;
    const store = createMemoryStore(initial);
    initial.counters.n = 100;
    expect(store.read().counters.n).toBe(3);
    await store.update(() => ({
      result: null,
      events: [{ at: "2026-01-01T00:00:00Z", actor: { id: "x", name: "X" }, chatId: null, action: "a" }],
    }));
    expect(store.read().eventSeq).toBe(11);
    expect((await store.events())[0].seq).toBe(11);
  });

  it("an update that keeps losing to other writers (StaleState) gives up after MAX_ATTEMPTS with BUSY, changing nothing", async () => {
    let writes = 0;
    let catchUps = 0;
    const core = createStoreCore(
      emptyStoreData(),
      async () => {
        writes++;
        throw new StaleState();
      },
      {
        catchUp: async () => {
          catchUps++;
          return null;
        },
      },
    );
    const error = await core
      .update((d) => {
        d.counters = { ...d.counters, n: 1 };
        return { result: null };
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe("BUSY");
    expect(error.message).toMatch(/^Kho dữ liệu đang bận/);
    expect([writes, catchUps]).toEqual([MAX_ATTEMPTS, MAX_ATTEMPTS - 1]);
    expect(core.read().counters).toEqual({});
  });
});
