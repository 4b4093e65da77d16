import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../../src/store/memory.ts";
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
});
