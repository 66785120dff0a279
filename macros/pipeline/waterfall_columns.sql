{#-
    The amount columns of a pipeline waterfall, in order: the six elements, then the
    value-change breakdown, then the start/end splits. Used by every waterfall mart.
-#}
{% macro waterfall_columns() %}
    {{ return({
        'elements': ['starting_pipeline', 'new_pipeline', 'value_change', 'closed_won', 'closed_lost', 'ending_pipeline'],
        'value_change_parts': ['value_increase', 'value_decrease', 'pulled_in', 'pushed_out', 'rolled_in',
                               'slipped', 'reopened', 'removed', 'fx_revaluation'],
        'splits': ['starting_pipeline_this_quarter', 'starting_pipeline_later_quarters',
                   'ending_pipeline_this_quarter', 'ending_pipeline_later_quarters'],
        'counts': {'starting_pipeline': 'starting_opportunities', 'new_pipeline': 'new_opportunities',
                   'closed_won': 'won_opportunities', 'closed_lost': 'lost_opportunities',
                   'ending_pipeline': 'ending_opportunities'},
    }) }}
{% endmacro %}
