"""`python -m extractor ...`: the `extractor` command, for a checkout that is not installed."""

from extractor.cli import main

if __name__ == "__main__":
    main(prog_name="extractor")
