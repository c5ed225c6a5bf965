"""Checkers for the chapters' exercises: one module per chapter.

A checker takes the learner's answer, prints friendly feedback and returns True
(correct) or False. It never raises on a wrong or missing answer: `None`, the
placeholder of an unsolved exercise, gets "not answered yet".
"""

__all__ = ["not_answered", "report"]


def report(problems, success):
    """Print `success` if the list `problems` is empty, else each problem; return True if none."""
    if not isinstance(problems, list):
        raise TypeError(f"problems must be a list of strings, got {type(problems).__name__}")
    if problems:
        print("Not yet:")
        for problem in problems:
            print(f"  - {problem}")
        return False
    print(f"Correct! {success}")
    return True


def not_answered(*answers):
    """True (after printing a hint) if any answer is still the placeholder None."""
    if any(answer is None for answer in answers):
        print(
            "Not answered yet: replace the None placeholders with your answer, "
            "then run the cell again."
        )
        return True
    return False
