package io.outpaint.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.request.FramingPlan.Rect;
import io.outpaint.request.FramingPlan.Side;
import io.outpaint.request.Target.Anchor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The planner's promises, over many seeded random sources and targets. */
class TargetPlannerPropertiesTest {

    record Case(int width, int height, Target target) {
        @Override
        public String toString() {
            return width + "x" + height + " to " + target.aspectRatio() + " " + target.anchor().wire();
        }
    }

    static Stream<Case> cases() {
        Random random = new Random(27);
        List<Case> all = new ArrayList<>();
        while (all.size() < 2000) {
            int w = 16 + random.nextInt(random.nextBoolean() ? 4000 : 1000);
            int h = 16 + random.nextInt(random.nextBoolean() ? 4000 : 1000);
            String ratio = random.nextInt(3) == 0 ? List.of("9:16", "1:1", "4:5", "16:9", "21:9").get(random.nextInt(5))
                    : (1 + random.nextInt(Target.MAX_TERM)) + ":" + (1 + random.nextInt(Target.MAX_TERM));
            Anchor anchor = Anchor.values()[random.nextInt(Anchor.values().length)];
            Target.parse(ratio, anchor).filter(t -> !sameRatio(w, h, t)).filter(t -> bigEnough(w, h, t))
                    .ifPresent(t -> all.add(new Case(w, h, t)));
        }
        return all.stream();
    }

    private static boolean sameRatio(int w, int h, Target t) {
        int[] r = t.reduced();
        return Math.abs((long) w * r[1] - (long) h * r[0]) * 100 <= (long) h * r[0];
    }

    /** Room for at least one canvas step when cropped (tiny sources with coarse ratios are refused, tested apart). */
    private static boolean bigEnough(int w, int h, Target t) {
        int[] r = t.reduced();
        return Math.min(w, h) >= 4 * Math.max(r[0], r[1]);
    }

    @Test
    void keepsEveryPromiseOverTwoThousandRandomSourcesAndTargets() {
        List<String> broken = new ArrayList<>();
        cases().forEach(c -> {
            try {
                keepsEveryPromise(c);
            } catch (AssertionError e) {
                broken.add(c + ": " + e.getMessage().strip());
            }
        });
        assertThat(broken).as("cases that break a promise").isEmpty();
    }

    private static void keepsEveryPromise(Case c) {
        FramingPlan plan = TargetPlanner.plan(c.width(), c.height(), c.target());
        assertThat(FramingJson.read(FramingJson.write(plan))).as("the plan as the record keeps it").isEqualTo(plan);
        int[] r = c.target().reduced();
        // the canvas has exactly the target's ratio, even sides, and at most the cap
        assertThat((long) plan.canvas().width() * r[1]).isEqualTo((long) plan.canvas().height() * r[0]);
        assertThat(plan.canvas().width() % 2).isZero();
        assertThat(plan.canvas().height() % 2).isZero();
        assertThat(Math.max(plan.canvas().width(), plan.canvas().height())).isLessThanOrEqualTo(TargetPlanner.MAX_SIDE);
        // the source lies inside the canvas
        Rect s = plan.source();
        assertThat(s.x()).isNotNegative();
        assertThat(s.y()).isNotNegative();
        assertThat(s.x() + s.width()).isLessThanOrEqualTo(plan.canvas().width());
        assertThat(s.y() + s.height()).isLessThanOrEqualTo(plan.canvas().height());
        assertThat(plan.expandRatio()).isBetween(0.0, 1.0);
        Rect kept = plan.crop().orElse(new Rect(0, 0, c.width(), c.height()));
        // the kept source lands at 1:1 unless the canvas went over the cap and was scaled down whole
        boolean capped = s.width() != kept.width() || s.height() != kept.height();
        if (capped) {
            assertThat(Math.max(plan.canvas().width(), plan.canvas().height())).isGreaterThan(TargetPlanner.MAX_SIDE - 2 * Target.MAX_TERM);
            assertThat(s.width()).isLessThan(kept.width());
        }
        if (plan.crop().isPresent()) {
            // a crop takes one axis only, inside the source, and only what one pass cannot reach
            assertThat(kept.width() == c.width() || kept.height() == c.height()).isTrue();
            assertThat(kept.x() + kept.width()).isLessThanOrEqualTo(c.width());
            assertThat(kept.y() + kept.height()).isLessThanOrEqualTo(c.height());
            if (!capped) {
                boolean growsX = kept.width() == c.width();
                int along = growsX ? c.width() : c.height();
                int canvasAlong = growsX ? plan.canvas().width() : plan.canvas().height();
                int step = 2 * (growsX ? r[0] : r[1]);
                assertThat(canvasAlong + step).as("a canvas one step larger is out of one pass's reach")
                        .isGreaterThan(along * (1 + plan.sides().size()));
            }
        }
        if (!capped) {
            modelCoversTheCanvas(plan, c, kept);
        }
    }

    /**
     * Replays the model's rule (each enabled side adds floor(ratio x side), total rounded up to 8) and checks its
     * canvas holds every margin the plan needs on the growing axis; the other axis has under one ratio step of slack.
     */
    private static void modelCoversTheCanvas(FramingPlan plan, Case c, Rect kept) {
        int addX = (int) Math.floor(plan.expandRatio() * c.width());
        int addY = (int) Math.floor(plan.expandRatio() * c.height());
        int left = plan.expands(Side.LEFT) ? addX : 0;
        int right = plan.expands(Side.RIGHT) ? addX : 0;
        int top = plan.expands(Side.TOP) ? addY : 0;
        int bottom = plan.expands(Side.BOTTOM) ? addY : 0;
        assertThat(plan.modelCanvas().width()).isEqualTo((c.width() + left + right + 7) / 8 * 8);
        assertThat(plan.modelCanvas().height()).isEqualTo((c.height() + top + bottom + 7) / 8 * 8);
        Rect s = plan.source();
        int marginLeft = s.x(), marginRight = plan.canvas().width() - s.x() - s.width();
        int marginTop = s.y(), marginBottom = plan.canvas().height() - s.y() - s.height();
        int[] r = c.target().reduced();
        boolean growsX = plan.expands(Side.LEFT) || plan.expands(Side.RIGHT);
        if (growsX) {
            assertThat(left).isGreaterThanOrEqualTo(marginLeft);
            assertThat(right).isGreaterThanOrEqualTo(marginRight);
            assertThat(marginTop + marginBottom).isLessThan(2 * r[1]);
            assertThat(top + bottom).isZero();
        } else {
            assertThat(top).isGreaterThanOrEqualTo(marginTop);
            assertThat(bottom).isGreaterThanOrEqualTo(marginBottom);
            assertThat(marginLeft + marginRight).isLessThan(2 * r[0]);
            assertThat(left + right).isZero();
        }
    }
}
