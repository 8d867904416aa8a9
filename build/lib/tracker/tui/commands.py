"""Every action of the main screen in the command palette (ctrl+p), offered
only where it applies ("Record verdict…" on a claim, "Merge speaker…" on a
speaker)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, action) — actions are the main screen's.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Search…", "Focus the search box (full-text search of the list)", "focus_search"),
    (
        "Filters…",
        "Filter quotes and claims by speaker, source, kind, status, dates, tag",
        "filters",
    ),
    ("Clear filters", "Show every quote and claim again", "clear_filters"),
    ("Add…", "Add a record to the list being shown", "add"),
    ("New claim from this quote…", "A claim resting on the selected quote", "add_claim"),
    ("Edit…", "Edit the selected record", "edit"),
    ("Delete…", "Delete the selected record (asks first)", "delete"),
    ("Record verdict…", "Record a verdict on the selected claim", "verdict"),
    ("Merge speaker…", "Merge another speaker into the selected one", "merge"),
    ("Undo last change", "Undo your last change (from the audit log)", "undo"),
    ("Reload", "Read the list again from the database", "refresh"),
    ("Show quotes", "", "show_tab('quotes')"),
    ("Show claims", "", "show_tab('claims')"),
    ("Show speakers", "", "show_tab('speakers')"),
    ("Show sources", "", "show_tab('sources')"),
    ("Show claims due for review", "", "show_tab('due')"),
    ("Toggle light/dark theme", "", "app.toggle_theme"),
    ("Keys", "Every key and what it does", "app.help"),
)


class TrackerCommands(Provider):
    """The tracker's actions, filtered by what the current screen allows."""

    def _available(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        found = []
        for title, help_text, action in COMMANDS:
            name = action.split("(")[0]
            if name.startswith("app."):
                found.append((title, help_text, action))
                continue
            if not hasattr(screen, f"action_{name}"):
                continue
            if screen.check_action(name, ()) is False:
                continue
            found.append((title, help_text, action))
        return found

    async def discover(self) -> Hits:
        for title, help_text, action in self._available():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
