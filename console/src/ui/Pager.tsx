/**
 * Previous and next page over an API list that pages by cursor: `cursors` holds the cursor of every page
 * after the first that the user has moved to, so going back never asks the API for anything new.
 */
export function Pager({
  cursors,
  setCursors,
  next,
}: {
  cursors: string[];
  setCursors: (cursors: string[]) => void;
  /** The cursor the current page's answer gave for the page after it, if any. */
  next: string | null | undefined;
}) {
  return (
    <div className="pager">
      <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
        Previous page
      </button>
      <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
        Next page
      </button>
    </div>
  );
}
