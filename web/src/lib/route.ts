import { useEffect, useState } from 'react';

/** Chats this page made up itself (New chat), which the server cannot know yet. */
const fresh = new Set<string>();

export function isFreshChat(chatId: string): boolean {
  return fresh.has(chatId);
}

/** The chat's first message went out: from now on the server knows it. */
export function chatStarted(chatId: string): void {
  fresh.delete(chatId);
}

const CHAT_PATH = /^\/c\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

function chatIdFromLocation(): string {
  const match = CHAT_PATH.exec(window.location.pathname);
  if (match?.[1]) return match[1].toLowerCase();
  // why: every page shows a chat; a new one gets its id (a UUID, as reprise requires) up front.
  const id = crypto.randomUUID();
  fresh.add(id);
  window.history.replaceState(null, '', `/c/${id}`);
  return id;
}

/** The chat in the URL (`/c/{chatId}`), following back/forward navigation. */
export function useChatRoute(): string {
  const [chatId, setChatId] = useState(chatIdFromLocation);
  useEffect(() => {
    const onChange = () => setChatId(chatIdFromLocation());
    window.addEventListener('popstate', onChange);
    window.addEventListener('reprise:navigate', onChange);
    return () => {
      window.removeEventListener('popstate', onChange);
      window.removeEventListener('reprise:navigate', onChange);
    };
  }, []);
  return chatId;
}

export function openChat(chatId: string): void {
  if (window.location.pathname !== `/c/${chatId}`) {
    window.history.pushState(null, '', `/c/${chatId}`);
  }
  window.dispatchEvent(new Event('reprise:navigate'));
}

export function newChat(): void {
  const id = crypto.randomUUID();
  fresh.add(id);
  openChat(id);
}
