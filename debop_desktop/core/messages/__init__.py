"""Every sentence the app shows a person, in one place.

Written for a domain expert, not a programmer: what happened, then what to do next.
Technical detail travels separately as an error's `details`. The sentences live in a few
modules by topic, all read through this one (`messages.X` works for every X); add a
sentence to the module of its topic.
"""

from debop_desktop.core.messages.apply import *  # noqa: F401,F403
from debop_desktop.core.messages.comparison import *  # noqa: F401,F403
from debop_desktop.core.messages.costs import *  # noqa: F401,F403
from debop_desktop.core.messages.datasets import *  # noqa: F401,F403
from debop_desktop.core.messages.examples_picked import *  # noqa: F401,F403
from debop_desktop.core.messages.examples_searched import *  # noqa: F401,F403
from debop_desktop.core.messages.models import *  # noqa: F401,F403
from debop_desktop.core.messages.optimizer import *  # noqa: F401,F403
from debop_desktop.core.messages.results import *  # noqa: F401,F403
from debop_desktop.core.messages.store import *  # noqa: F401,F403
from debop_desktop.core.messages.tuned_picked import *  # noqa: F401,F403
