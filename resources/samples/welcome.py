# Welcome to SafeCell. Press Ctrl+Enter to run this snippet.
#
# Code runs in a sandbox: no network, a private /work folder, your data
# folder (Settings) read-only at /data, and the time limit in the toolbar.
# Help > What can snippets do? says more; Help > Keyboard shortcuts lists
# the keys. The "Example query" tab runs SQL on the bundled example database.
import pandas as pd
import matplotlib.pyplot as plt

sales = pd.DataFrame({
    'region': ['North', 'South', 'East', 'West', 'Central'],
    'q1': [120.5, 98.0, 143.2, 87.9, 110.4],
    'q2': [131.0, 101.5, 150.8, 92.3, 118.9],
})
sales['growth %'] = ((sales.q2 / sales.q1 - 1) * 100).round(1)

sales.plot.bar(x='region', y=['q1', 'q2'], title='Sales by region', figsize=(6, 3.2), rot=0)
plt.tight_layout()
plt.show()

# The last expression is the run's result: a table, sortable by its headers,
# its rows labelled by the DataFrame's index.
sales.sort_values('growth %', ascending=False)
