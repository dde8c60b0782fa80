import json
import os.path
from collections import OrderedDict


def normalise(path):
    return os.path.normpath(path)


def dump(data):
    items = sorted(data)
    items.append("x")
    return json.dumps(items)


d = OrderedDict()
print(len(dump({"a": 1})))
normalise("a/b")
