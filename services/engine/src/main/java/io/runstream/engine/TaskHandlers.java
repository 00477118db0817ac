package io.runstream.engine;

import java.util.Map;

/** The handler of each kind of task: the one place a kind is registered. */
final class TaskHandlers {

    private static final Map<Class<? extends Task>, TaskHandler<?>> HANDLERS = Map.ofEntries(
            Map.entry(Task.SetTask.class, new SetHandler()),
            Map.entry(Task.SwitchTask.class, new SwitchHandler()),
            Map.entry(Task.RaiseTask.class, new RaiseHandler()),
            Map.entry(Task.WaitTask.class, new WaitHandler()),
            Map.entry(Task.DoTask.class, new DoHandler()),
            Map.entry(Task.ForTask.class, new ForHandler()),
            Map.entry(Task.ForkTask.class, new ForkHandler()),
            Map.entry(Task.TryTask.class, new TryHandler()),
            Map.entry(Task.CallTask.class, new CallHandler()),
            Map.entry(Task.EmitTask.class, new EmitHandler()),
            Map.entry(Task.ListenTask.class, new ListenHandler()),
            Map.entry(Task.RunWorkflowTask.class, new RunWorkflowHandler()),
            Map.entry(Task.UnsupportedTask.class, new UnsupportedHandler()));

    private TaskHandlers() {
    }

    /** The handler of the task's kind. */
    @SuppressWarnings("unchecked")
    static TaskHandler<Task> of(Task task) {
        TaskHandler<?> handler = HANDLERS.get(task.getClass());
        if (handler == null) {
            throw new IllegalStateException("No handler for " + task.getClass().getSimpleName());
        }
        return (TaskHandler<Task>) handler;
    }
}
