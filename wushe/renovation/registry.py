"""Menu entry."""


def register_ui() -> None:
    pass
