"""sayso: on whose say-so does each claim in an article rest?

>>> import sayso
>>> record = sayso.analyze("The ministry denied the report, a spokesman said.")
>>> record.schema_version
'1.0'
"""

from sayso.api import analyze, analyze_article
from sayso.record import ArticleAnalysis

__version__ = "0.1.0"
__all__ = ["ArticleAnalysis", "__version__", "analyze", "analyze_article"]
