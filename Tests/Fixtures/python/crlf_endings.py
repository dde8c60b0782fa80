class Crlf:
    """Doc with CRLF."""

    def a(self, x=1):
        return self.b(x)

    def b(self, y):
        return (y +
                1)
