def step_one():
    return 1


def step_two():
    return 2


def step_three():
    return 3


PIPELINE = [step_one, step_two]
PIPELINE.append(step_three)


def run_all():
    for step in PIPELINE:
        step()


run_all()
