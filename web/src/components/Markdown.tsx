import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

const BLOCK_CONTAINERS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/**
 * A remark plugin that turns raw HTML into plain text: a message's HTML is shown, never parsed
 * or run. (Without it react-markdown would silently drop the HTML, hiding what was written.)
 */
function remarkHtmlAsText() {
  const visit = (node: MdNode) => {
    if (!node.children) return;
    node.children = node.children.map((child) => {
      if (child.type !== 'html') {
        visit(child);
        return child;
      }
      const text: MdNode = { type: 'text', value: child.value ?? '' };
      return BLOCK_CONTAINERS.has(node.type) ? { type: 'paragraph', children: [text] } : text;
    });
  };
  return (tree: MdNode) => visit(tree);
}

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  // why: an image in a message must not make the browser fetch a URL that the model chose.
  img: ({ src, alt }) => (
    <a
      className="md-image"
      href={typeof src === 'string' ? src : undefined}
      target="_blank"
      rel="noopener noreferrer"
    >
      [image{alt ? `: ${alt}` : ''}]
    </a>
  ),
};

const plugins = [remarkGfm, remarkHtmlAsText];

/** Markdown, sanitized: no raw HTML, links open in a new tab, images are links. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={plugins} components={components} skipHtml={false}>
      {text}
    </ReactMarkdown>
  );
});
