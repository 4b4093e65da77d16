/** How dondoc says no to a person: plain Vietnamese, nothing changed. */

/**
 * A use case (or a reader of what a person sent) refusing: `message` is plain Vietnamese for
 * the person who asked, and nothing was changed. The bot's router answers it (a reply, or a
 * pop-up under a button); `input` says what was typed is wrong (a date already past…), so a
 * command's usage goes with it. `cause`: a failure behind the refusal (a download that failed),
 * which the router logs — the person gets only `message`.
 */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly input = false,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "Refusal";
  }
}
