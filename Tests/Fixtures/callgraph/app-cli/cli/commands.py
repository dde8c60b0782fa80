from .output import format_list


def cmd_add(args):
    return str(sum(int(a) for a in args))


def cmd_list(args):
    return format_list(["a", "b"])


def cmd_help(args):
    return "usage: add | list | help"


COMMANDS = {
    "add": cmd_add,
    "list": cmd_list,
    "help": cmd_help,
}
