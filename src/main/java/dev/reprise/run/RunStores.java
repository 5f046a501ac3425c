package dev.reprise.run;

import dev.reprise.approval.ToolWaitStore;
import dev.reprise.chat.ChatStore;

/** The records a run reads and writes besides its stream: runs, chats, and tool calls that wait. */
public record RunStores(RunStore runs, ChatStore chats, ToolWaitStore waits) {}
