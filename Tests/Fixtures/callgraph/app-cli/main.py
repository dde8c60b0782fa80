import sys

from cli.commands import COMMANDS
from cli.output import Printer


def main(argv):
    printer = Printer(stream=None)
    name = argv[0] if argv else "help"
    command = COMMANDS.get(name, COMMANDS["help"])
    result = command(argv[1:])
    printer.emit(result)
    return 0


if __name__ == "main":
    main(["add", "1", "2"])
    main(["help"])
    main(["list"])
