"""``python -m framescope``: the command-line interface."""

if __name__ == "__main__":
    from framescope.cli import main

    raise SystemExit(main())
