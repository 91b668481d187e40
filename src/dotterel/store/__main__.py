"""``python -m dotterel.store``: the store commands without the rest of the CLI."""

from dotterel.store.commands import store_cli

if __name__ == "__main__":  # pragma: no cover
    store_cli()
