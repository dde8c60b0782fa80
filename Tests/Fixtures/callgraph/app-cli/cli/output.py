def format_list(items):
    return "\n".join("- " + item for item in items)


class Printer:
    def __init__(self, stream):
        self.stream = stream
        self.lines = []

    def emit(self, text):
        for line in text.splitlines():
            self.write(line)

    def write(self, line):
        self.lines.append(line)
