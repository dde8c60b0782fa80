ROUTES = {}


def route(path):
    def register(func):
        ROUTES[path] = func
        return func
    return register


@route("/")
def index():
    return "index"


@route("/about")
def about():
    return "about"


def serve(path):
    return ROUTES[path]()


serve("/")
serve("/about")
about()
