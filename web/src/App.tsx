import { useCallback, useEffect, useState } from 'react';
import { ChatPage } from './components/ChatView';
import { SignIn } from './components/SignIn';
import { Sidebar } from './components/Sidebar';
import { api, session } from './lib/api';
import { newChat, openChat, useChatRoute } from './lib/route';
import { useChats } from './lib/useChats';
import { useModels } from './lib/useModels';

function Workspace({ onSignOut }: { onSignOut: () => void }) {
  const chatId = useChatRoute();
  const { chats, error, refresh } = useChats();
  const models = useModels();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const refreshChats = useCallback(() => void refresh(), [refresh]);

  useEffect(() => setSidebarOpen(false), [chatId]);
  useEffect(() => {
    if (!sidebarOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setSidebarOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sidebarOpen]);

  const rename = async (id: string, title: string) => {
    await api.updateChat(id, { title }).catch((e: unknown) => window.alert(String(e)));
    await refresh();
  };
  const remove = async (id: string) => {
    await api.deleteChat(id).catch((e: unknown) => window.alert(String(e)));
    if (id === chatId) newChat();
    await refresh();
  };

  return (
    <div className="app">
      <Sidebar
        chats={chats}
        error={error}
        currentChatId={chatId}
        open={sidebarOpen}
        onNewChat={newChat}
        onOpen={openChat}
        onRename={rename}
        onDelete={remove}
        onSignOut={onSignOut}
      />
      {sidebarOpen && (
        <div className="scrim" aria-hidden="true" onClick={() => setSidebarOpen(false)} />
      )}
      <ChatPage
        key={chatId}
        chatId={chatId}
        summary={chats?.find((c) => c.id === chatId)}
        models={models}
        onChatsChanged={refreshChats}
        onMenu={() => setSidebarOpen(true)}
      />
    </div>
  );
}

export function App() {
  const [credential, setCredential] = useState(() => session.credential);
  const [note, setNote] = useState<string | null>(null);

  useEffect(
    () =>
      session.onUnauthorized(() => {
        setCredential(null);
        setNote('Your API key was not accepted (it may have been revoked). Sign in again.');
      }),
    [],
  );

  if (!credential) {
    return (
      <SignIn
        note={note}
        onSignedIn={(value) => {
          session.signIn(value);
          setNote(null);
          setCredential(value);
        }}
      />
    );
  }
  return (
    <Workspace
      key={credential}
      onSignOut={() => {
        session.signOut();
        setCredential(null);
      }}
    />
  );
}
