import re
import os.path as osp


def slugify(text):
    return re.sub(r"\W+", "-", text).strip("-").lower()


def persist(obj):
    path = osp.join("data", slugify(obj.name))
    return path
