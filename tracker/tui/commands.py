"""The command palette (ctrl+p): every action of the key table that has a
palette title (:data:`tracker.tui.keys.KEYS`), offered only where it applies
("Record verdict…" on a claim, "Merge speaker…" on a speaker)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from tracker.tui.keys import KEYS


@dataclass(frozen=True)
class Command:
    title: str
    help: str
    action: str  # as run_action takes it: "app.help", "show_tab('quotes')"
    binding_id: str


def palette_commands() -> list[Command]:
    """The palette's commands, in the order of the key table."""
    found = []
    for group in KEYS.values():
        prefix = "app." if group.runs_on == "app" else ""
        for key in group.keys:
            if key.palette:
                found.append(Command(key.palette, key.palette_help, prefix + key.action, key.id))
    return found


def applies(screen: Screen[object], command: Command) -> bool:
    """Whether ``command`` can run over ``screen`` now."""
    if command.action.startswith("app."):
        return True
    name = command.action.split("(")[0]
    return hasattr(screen, f"action_{name}") and screen.check_action(name, ()) is not False


class TrackerCommands(Provider):
    """The tracker's actions, filtered by what the current screen allows."""

    def _available(self) -> list[Command]:
        return [command for command in palette_commands() if applies(self.screen, command)]

    async def discover(self) -> Hits:
        for command in self._available():
            yield DiscoveryHit(
                command.title, partial(self.screen.run_action, command.action), help=command.help
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self.screen.run_action, command.action),
                    help=command.help,
                )
