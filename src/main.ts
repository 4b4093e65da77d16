/**
 * Entry point (`npm start`). With TELEGRAM_BOT_TOKEN and/or ZALO_BOT_TOKEN: the bot on
 * Telegram, Zalo or both. Without either: the local terminal chat on the same core and the
 * same JSON store, so a newcomer can try everything without a token.
 */
import { ConfigError, configErrorMessage, loadConfig } from "./config.ts";
import { createLogger, redactTokens } from "./logger.ts";
import { coordinatorProblemAtRest, startBot } from "./boot/runtime.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // One message for every bad key: COORDINATOR_AGENCY too, though it needs the directory.
      const coordinator = coordinatorProblemAtRest(process.env);
      const problems = coordinator ? [...error.problems, coordinator] : error.problems;
      process.stderr.write(`${configErrorMessage(problems)}\n`);
      process.exit(1);
    }
    throw error;
  }
  const local = !config.TELEGRAM_BOT_TOKEN && !config.ZALO_BOT_TOKEN;
  // In local mode the terminal is the chat: logs go to stderr, errors only (the chat itself
  // says in Vietnamese what a warning would, e.g. that no group is bound to the Sở Nội vụ).
  const log = createLogger(local && config.LOG_LEVEL === "info" ? "error" : config.LOG_LEVEL, process.stderr, [
    config.TELEGRAM_BOT_TOKEN,
    config.TELEGRAM_WEBHOOK_SECRET,
    config.ZALO_BOT_TOKEN,
    config.ZALO_WEBHOOK_SECRET,
  ]);
  // A stray failure in background work is logged, never allowed to stop the bot (Node's default).
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection (the bot goes on)"));
  const running = await startBot({ config, log, input: process.stdin, output: process.stdout });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  await running.finished;
  await shutdown("eof");
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    // Found at start (an unknown COORDINATOR_AGENCY): the same message as any bad key.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const message = redactTokens(error instanceof Error ? error.message : String(error));
  process.stderr.write(`dondoc không khởi động được: ${message}\n`);
  process.exit(1);
});
