import util
import util as u
from util import helper, Tool as T

util.helper()
u.other()
helper()
T()
