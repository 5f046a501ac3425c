interface ToolView {
  toolName: string;
  state: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
}

const STATE_LABEL: Record<string, string> = {
  'input-streaming': 'preparing…',
  'input-available': 'running…',
  'output-available': 'done',
  'output-error': 'failed',
  'output-denied': 'denied',
  'approval-requested': 'waiting for approval',
  'approval-responded': 'approved',
};

function json(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** A tool call: its name and state, with input and output (or error) as JSON. */
export function ToolCall({ tool }: { tool: ToolView }) {
  const failed = tool.state === 'output-error' || tool.state === 'output-denied';
  return (
    <details
      className={`tool${failed ? ' tool-failed' : ''}`}
      data-testid="tool-part"
      data-tool-name={tool.toolName}
      data-state={tool.state}
    >
      <summary>
        <span className="tool-icon" aria-hidden="true">
          ⚙
        </span>
        <span className="tool-name">{tool.toolName}</span>
        <span className="tool-state">{STATE_LABEL[tool.state] ?? tool.state}</span>
      </summary>
      <div className="tool-body">
        {tool.input !== undefined && (
          <>
            <div className="tool-label">Input</div>
            <pre className="json" data-testid="tool-input">
              {json(tool.input)}
            </pre>
          </>
        )}
        {tool.state === 'output-available' && (
          <>
            <div className="tool-label">Output</div>
            <pre className="json" data-testid="tool-output">
              {json(tool.output)}
            </pre>
          </>
        )}
        {tool.errorText && (
          <>
            <div className="tool-label">Error</div>
            <pre className="json tool-error" data-testid="tool-error">
              {tool.errorText}
            </pre>
          </>
        )}
      </div>
    </details>
  );
}
