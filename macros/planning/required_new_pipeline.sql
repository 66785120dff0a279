{#-
    The plan worked backwards (3-2-1-6-5=4): the new pipeline that solves
    start + new + value_change - won - lost = end with expected lost = lost_ratio x
    (start + new) and expected value change = value_change_ratio x (start + new):
    new = (end + won) / (1 + value_change_ratio - lost_ratio) - start, as a
    decimal(38, 6), not clamped; null when 1 + value_change_ratio - lost_ratio <= 0 or
    any input is null. The one home of the formula (the plan and its backwards-identity
    test both use it).
-#}
{% macro required_new_pipeline(ending_target, won_target, starting, value_change_ratio, lost_ratio) %}
    case
        when 1 + {{ value_change_ratio }} - {{ lost_ratio }} > 0
            then cast(
                {{ crm_revenue.precise_ratio(
                    '(' ~ ending_target ~ ') + (' ~ won_target ~ ')',
                    '1 + (' ~ value_change_ratio ~ ') - (' ~ lost_ratio ~ ')') }}
                as decimal(38, 6)
            ) - ({{ starting }})
    end
{% endmacro %}
